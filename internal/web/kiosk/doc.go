// Package kiosk is the voting terminal's screens, which triplicate machine serve
// serves to the terminal's touch screen: the voter's ballot, review and
// voucher, and the poll worker's page that opens the polls (printing the
// zero tape), enables each ballot, closes the polls and transmits the
// final acta. See [New].
//
// Its pages are rendered with the templates in templates/ over the layout
// of package page, in Spanish and English (messages.go); a voter's choice
// of language lasts for one ballot.
package kiosk
