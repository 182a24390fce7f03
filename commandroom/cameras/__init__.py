"""Camera registry: groups (areas/junctions), cameras, layouts."""
