package web

// reportSpanish is the verifier report pages' messages. Keep it sorted.
var reportSpanish = map[string]string{}
