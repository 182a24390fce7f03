"""Watch list: persons and vehicles ("one person, one file"), search, CSV import/export."""
