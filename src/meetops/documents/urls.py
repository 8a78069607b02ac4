from django.urls import path

from meetops.documents import views

# The minutes' and the report's download addresses and names are those the minutes and
# reports apps had: links and bookmarks keep working and now get the official documents.
urlpatterns = [
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/report.pdf", views.report_pdf, name="summary_report_pdf"),
    path("meetings/<int:pk>/report.docx", views.report_docx, name="summary_report_docx"),
    path("meetings/<int:pk>/notice.pdf", views.notice_pdf, name="meeting_notice_pdf"),
    path("meetings/<int:pk>/notice.docx", views.notice_docx, name="meeting_notice_docx"),
    path("documents/settings/", views.document_settings, name="document_settings"),
]
