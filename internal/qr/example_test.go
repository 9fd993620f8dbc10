package qr_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/qr"
)

// A message too long for one QR code is split into data parts of the same
// size and a parity part: any two of the three codes give it back, in any
// order, and one alone says how many more are needed.
func ExampleParts() {
	msg := bytes.Repeat([]byte("— signed\n"), 80) // 880 bytes: the dash is 3 bytes of UTF-8
	parts, err := qr.Parts(msg)
	if err != nil {
		panic(err)
	}
	for _, p := range parts {
		header, chunk, _ := strings.Cut(p, "\n")
		fmt.Printf("%s + %d bytes\n", header, len(chunk))
	}

	back, err := qr.Join([]string{parts[2], parts[0]})
	fmt.Println(bytes.Equal(back, msg), err)

	_, err = qr.Join(parts[:1])
	fmt.Println(errors.Is(err, qr.ErrMissing), err)
	// Output:
	// triplicate qr v2 1/3 2 880 7ccc8750eef03a4a + 440 bytes
	// triplicate qr v2 2/3 2 880 7ccc8750eef03a4a + 440 bytes
	// triplicate qr v2 3/3 2 880 7ccc8750eef03a4a + 440 bytes
	// true <nil>
	// true acta 7ccc8750eef03a4a: missing QR part: 1 read, 1 more needed (any 2 of its 3 codes rebuild it; read 1/3)
}

// Join names what is wrong with the parts it is given.
func ExampleJoin() {
	a, _ := qr.Parts(bytes.Repeat([]byte("acta A\n"), 100))
	b, _ := qr.Parts(bytes.Repeat([]byte("acta B\n"), 100))

	_, err := qr.Join([]string{a[0], b[1]})
	fmt.Println(err)
	_, err = qr.Join([]string{a[0], a[0], a[1]})
	fmt.Println(err)
	_, err = qr.Join([]string{"https://example.org/"})
	fmt.Println(err)
	// Output:
	// QR part 2/3 is of another acta: digest 824358cba322e61a, but part 1/3 has 66c4f3352fc19c34
	// QR part 1/3 is given twice
	// not a triplicate QR code (it starts "https://example.org/")
}
