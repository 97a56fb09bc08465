"""Views, one module per area. Views check access (coaching.access), call a selector or a
service, and render; HTMX requests get the partial."""
