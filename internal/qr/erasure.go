package qr

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// header2 is the start of a version 2 part's header line: the part's number
// and the count of codes, how many codes rebuild the message, the message's
// length and its digest follow ("triplicate qr v2 I/N K L DIGEST").
const header2 = prefix + "v2 "

// ShardSize is the most bytes a version 2 part carries: its shard of the
// message or of the parity. With the longest header (49 bytes) a part fits
// a QR code of version 18 at error correction level M, as in version 1.
const ShardSize = 512

// maxData is the most data shards of a message: with the parity
// (ceil(K/2) more) there are at most MaxParts codes.
const maxData = 66

// MaxLen is the longest message [Parts] splits.
const MaxLen = maxData * ShardSize

// shape returns the erasure code of a message of l bytes, 1 <= l <= MaxLen:
// k data shards of s bytes each (the message, padded with zero bytes to k*s)
// and n-k parity shards, so that any k of the n rebuild it. The parity is
// half the data, rounded up, and at least one code: see doc/spec/qr.md for
// why.
func shape(l int) (k, n, s int) {
	k = (l + ShardSize - 1) / ShardSize
	s = (l + k - 1) / k
	return k, k + max(1, (k+1)/2), s
}

// Parts splits a message, normally a signed acta, into the payloads of its
// QR codes, format version 2: K data shards of the message, each a code, and
// Reed-Solomon parity in more codes, so that any K of the N codes give the
// message back ([Join]). Each payload is a header line naming the part, the
// count of codes, K, the message's length and its digest, then the part's
// shard. The format is specified in doc/spec/qr.md.
func Parts(msg []byte) ([]string, error) {
	if len(msg) == 0 {
		return nil, errors.New("qr parts: empty message")
	}
	if len(msg) > MaxLen {
		return nil, fmt.Errorf("qr parts: message of %d bytes is longer than %d data parts of %d bytes", len(msg), maxData, ShardSize)
	}
	k, n, s := shape(len(msg))
	shards, err := encode(msg, k, n, s)
	if err != nil {
		return nil, fmt.Errorf("qr parts: %v", err)
	}
	d := Digest(msg)
	parts := make([]string, n)
	for i, sh := range shards {
		parts[i] = fmt.Sprintf("%s%d/%d %d %d %s\n%s", header2, i+1, n, k, len(msg), d, sh)
	}
	return parts, nil
}

// encode returns the n shards of a message of the shape shape gives.
func encode(msg []byte, k, n, s int) ([][]byte, error) {
	data := make([]byte, n*s)
	copy(data, msg)
	shards := make([][]byte, n)
	for i := range shards {
		shards[i] = data[i*s : (i+1)*s : (i+1)*s]
	}
	e, err := newErasure(k, n)
	if err != nil {
		return nil, err
	}
	return shards, e.encode(shards)
}

// parsePartV2 parses a version 2 part: the header line after the version
// must be "I/N K L DIGEST" in canonical decimal, with K and N the shape of
// a message of L bytes and the shard exactly its size.
func parsePartV2(line, shard string) (*part, error) {
	f := strings.Split(line[len(header2):], " ")
	if len(f) != 4 {
		return nil, fmt.Errorf("QR part header %q: want %q", preview(line), header2+"I/N K L DIGEST")
	}
	p := &part{v: 2, digest: f[3], chunk: shard}
	if err := p.parseNumber(line, f[0]); err != nil {
		return nil, err
	}
	k, err1 := parseCount(f[1])
	l, err2 := parseLen(f[2])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("QR part header %q: K %q and length %q are not canonical decimals with 1 <= K <= %d and 1 <= L <= %d", preview(line), f[1], f[2], maxData, MaxLen)
	}
	p.k, p.l = k, l
	wk, wn, ws := shape(l)
	if k != wk || p.n != wn {
		return nil, fmt.Errorf("QR part header %q: an acta of %d bytes is %d codes of which %d rebuild it, not %d and %d", preview(line), l, wn, wk, p.n, k)
	}
	if !isDigest(p.digest) {
		return nil, fmt.Errorf("QR part header %q: digest %q is not %d lower-case hexadecimal digits", preview(line), p.digest, digestLen)
	}
	if len(shard) != ws {
		return nil, fmt.Errorf("QR %s: carries %d bytes, but each part of an acta of %d bytes carries %d", p.name(), len(shard), l, ws)
	}
	return p, nil
}

// parseLen parses a message's length: a canonical decimal from 1 to MaxLen.
func parseLen(s string) (int, error) {
	n, err := election.ParseCount(s)
	if err != nil {
		return 0, err
	}
	if n < 1 || n > MaxLen {
		return 0, fmt.Errorf("%d is not from 1 to %d", n, MaxLen)
	}
	return n, nil
}

// joinV2 rebuilds a message from the version 2 parts of one acta, got[i]
// the part numbered i+1 or nil, all with the same header fields but the
// number (Join checked them). If the parts disagree and more than K were
// given, it leaves each out in turn, in order, and returns the message the
// others rebuild without the first that makes them agree, and that part:
// N+1 rebuilds at most.
func joinV2(got []*part) (msg []byte, odd *part, err error) {
	var first *part
	var have []string
	for _, p := range got {
		if p != nil {
			if first == nil {
				first = p
			}
			have = append(have, fmt.Sprintf("%d/%d", p.i, p.n))
		}
	}
	if len(have) < first.k {
		return nil, nil, fmt.Errorf("acta %s: %w: %d read, %d more needed (any %d of its %d codes rebuild it; read %s)",
			first.digest, ErrMissing, len(have), first.k-len(have), first.k, first.n, strings.Join(have, ", "))
	}
	msg, err = rebuild(got)
	if err == nil || len(have) == first.k {
		return msg, nil, err
	}
	for i, p := range got {
		if p == nil {
			continue
		}
		got[i] = nil
		m, err2 := rebuild(got)
		got[i] = p
		if err2 == nil {
			return m, p, nil
		}
	}
	return nil, nil, err
}

// rebuilds counts the calls of rebuild, each the dearest step of joining:
// the tests bound how many a join makes.
var rebuilds atomic.Int64

// rebuild reconstructs the message from the parts in got and checks that
// every part given agrees with it: the parity of the rebuilt data is the
// parity given, the padding is zero bytes and the digest is the headers'.
func rebuild(got []*part) ([]byte, error) {
	rebuilds.Add(1)
	var first *part
	shards := make([][]byte, len(got))
	for i, p := range got {
		if p != nil {
			shards[i] = []byte(p.chunk)
			if first == nil {
				first = p
			}
		}
	}
	e, err := newErasure(first.k, first.n)
	if err != nil {
		return nil, fmt.Errorf("acta %s: %v", first.digest, err)
	}
	if err := e.reconstruct(shards); err != nil {
		return nil, fmt.Errorf("acta %s: rebuilding from %d parts: %v", first.digest, first.k, err)
	}
	if ok, err := e.verify(shards); err != nil || !ok {
		return nil, fmt.Errorf("acta %s: the parts do not agree with each other: a part was altered or misread", first.digest)
	}
	data := bytes.Join(shards[:first.k], nil)
	msg, pad := data[:first.l], data[first.l:]
	if len(bytes.TrimLeft(pad, "\x00")) > 0 {
		return nil, fmt.Errorf("acta %s: the padding after the acta's %d bytes is not zero bytes: a part was altered or misread", first.digest, first.l)
	}
	if d := Digest(msg); d != first.digest {
		return nil, fmt.Errorf("acta %s: the rebuilt acta has digest %s: a part was altered or misread", first.digest, d)
	}
	return msg, nil
}
