package web

// dashboardSpanish is the dashboard's messages. Keep it sorted.
var dashboardSpanish = map[string]string{}
