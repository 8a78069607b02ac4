from django.contrib import admin

from meetops.agenda.models import AgendaItem


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "order", "start", "duration_minutes", "is_public"]
    list_select_related = ["meeting"]
    search_fields = ["title", "meeting__title"]
    raw_id_fields = ["meeting", "presenter_user", "presenter_contact"]
