"""The Sozialraum map: boundaries (GeoJSON), choropleth with Einrichtungen, simple catchment."""
