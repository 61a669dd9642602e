# The header row of CSV and xlsx exports (the data and JSON field names stay as they are).
# Ids start with `export-`.
