from django.urls import path

from meetops.agenda import views

urlpatterns = [
    path("<int:pk>/agenda/", views.agenda_editor, name="agenda_editor"),
    path("<int:pk>/agenda/items/", views.item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/items/<int:item_id>/edit/", views.item_edit, name="agenda_item_edit"),
    path(
        "<int:pk>/agenda/items/<int:item_id>/delete/", views.item_delete, name="agenda_item_delete"
    ),
    path("<int:pk>/agenda/items/<int:item_id>/move/", views.item_move, name="agenda_item_move"),
    path(
        "<int:pk>/agenda/items/<int:item_id>/materials/",
        views.item_materials,
        name="agenda_materials",
    ),
    path("<int:pk>/agenda/order/", views.agenda_reorder, name="agenda_reorder"),
    path("<int:pk>/plan/", views.meeting_plan, name="meeting_plan"),
    path("<int:pk>/plan.pdf", views.meeting_plan_pdf, name="meeting_plan_pdf"),
    path("<int:pk>/plan.docx", views.meeting_plan_docx, name="meeting_plan_docx"),
]
