# The dashboard: pane titles, column headers, labels, hints, status bar. Ids start with `ui-`.
