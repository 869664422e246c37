"""Folium layers, legends and popups for classified parcels (no file I/O here)."""
