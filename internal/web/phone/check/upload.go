package check

import (
	"crypto/sha256"
	"fmt"
	"strconv"
)

// UploadMessage returns the bytes a witness's phone signs, with the key it
// cosigns with, to send an acta to its party's collection server: the
// election, the SHA-256 of the bytes sent, the phone's time (Unix seconds)
// and a nonce it never uses twice. The server takes an upload only from a
// key the party enrolled, near its own time, and each nonce once, so a
// copy of an upload seen on the network cannot be sent again, and nobody
// without an enrolled key can fill the party's collection:
//
//	triplicate upload v1
//	election ID
//	sha256 HEX
//	time UNIX
//	nonce NONCE
//
// Its first line names the purpose, so no such signature is ever a
// cosignature of an acta (whose body begins "triplicate acta").
func UploadMessage(election string, body []byte, unix int64, nonce string) []byte {
	return fmt.Appendf(nil, "triplicate upload v1\nelection %s\nsha256 %x\ntime %s\nnonce %s\n",
		election, sha256.Sum256(body), strconv.FormatInt(unix, 10), nonce)
}
