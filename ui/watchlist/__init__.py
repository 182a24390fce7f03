"""Watch-list window: search as you type, one form per person or vehicle, CSV in and out."""
