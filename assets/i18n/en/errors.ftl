# Status and error messages, and the advice attached to each business code of the API.
# Ids start with `error-`.

error-runtime = could not start the async runtime: { $reason }
error-output = cannot write the output: { $reason }
