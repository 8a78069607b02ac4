"""Room booking services, split by sub-domain: booking, series, rooms, spreadsheet."""
