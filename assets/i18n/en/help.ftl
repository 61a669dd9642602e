# The dashboard's help screen. Ids start with `help-`.
