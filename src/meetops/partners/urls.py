from django.urls import path

from meetops.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.register, name="register"),
    path("partners/new/", views.supplier_new, name="new"),
    path("partners/managers/", views.managers, name="managers"),
    path("partners/<int:supplier_id>/", views.supplier_detail, name="detail"),
    path("partners/<int:supplier_id>/edit/", views.supplier_edit, name="edit"),
    path("partners/<int:supplier_id>/contacts/", views.contact_add, name="contact_add"),
    path(
        "partners/<int:supplier_id>/contacts/<int:contact_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path(
        "partners/<int:supplier_id>/qualifications/",
        views.qualification_add,
        name="qualification_add",
    ),
    path("partners/<int:supplier_id>/contracts/", views.contract_add, name="contract_add"),
    path(
        "partners/qualifications/<int:qualification_id>/",
        views.qualification_edit,
        name="qualification_edit",
    ),
    path(
        "partners/qualifications/<int:qualification_id>/file",
        views.qualification_file,
        name="qualification_file",
    ),
    path("partners/contracts/<int:contract_id>/", views.contract_edit, name="contract_edit"),
    path("partners/contracts/<int:contract_id>/file", views.contract_file, name="contract_file"),
    path("meetings/<int:pk>/suppliers/", views.meeting_suppliers, name="meeting"),
    path("meetings/<int:pk>/suppliers/link/", views.meeting_link, name="meeting_link"),
    path(
        "meetings/<int:pk>/suppliers/<int:link_id>/unlink/",
        views.meeting_unlink,
        name="meeting_unlink",
    ),
    path(
        "meetings/<int:pk>/suppliers/<int:link_id>/rate/", views.meeting_rate, name="meeting_rate"
    ),
]
