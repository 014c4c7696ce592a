"""Agreement metrics and the aggregations shared by the web app and the reports."""
