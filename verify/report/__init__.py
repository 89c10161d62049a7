"""Report formats. Each renders the same Report; `FORMATS` lists the names the CLI accepts."""

FORMATS = ("terminal", "json", "html", "sarif", "github")
