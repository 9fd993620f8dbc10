module github.com/triplicate-vote/triplicate

go 1.26.8

require golang.org/x/mod v0.43.0

require (
	codeberg.org/go-pdf/fpdf v0.12.0 // indirect
	github.com/makiuchi-d/gozxing v0.1.1 // indirect
	github.com/rogpeppe/go-internal v1.14.1 // indirect
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e // indirect
	golang.org/x/image v0.47.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
