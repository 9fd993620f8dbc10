package web

// kioskSpanish is the kiosk's messages. Keep it sorted.
var kioskSpanish = map[string]string{}
