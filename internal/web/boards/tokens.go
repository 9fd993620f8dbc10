package boards

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/durable"
)

// SecretFile is the name, in the audit's directory, of the secret the
// pages' tokens are derived from. It is the one file of the directory not
// to publish: whoever has it can enter any board's counts.
const SecretFile = "boards.secret"

// maxBoards is how many boards a round may have (audit.Boards.Launch's
// limit): the tokens of boards 1 to maxBoards are known in advance.
const maxBoards = 100

// ReadSecret reads the tokens' secret from the audit directory, making a
// new random one if there is none.
func ReadSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, SecretFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret := make([]byte, 32)
		rand.Read(secret)
		text := fmt.Sprintf("%x\n", secret)
		if err := durable.WriteNew(path, []byte(text), 0o600); err != nil {
			return nil, err
		}
		return secret, nil
	}
	if err != nil {
		return nil, err
	}
	var secret []byte
	if _, err := fmt.Sscanf(strings.TrimSpace(string(data)), "%x", &secret); err != nil || len(secret) < 16 {
		return nil, fmt.Errorf("%s: want at least 32 hex digits of secret", path)
	}
	return secret, nil
}

// tokens are the pages' tokens: the administrator's and each board's.
type tokens struct {
	admin  string
	boards map[string]string // board name by token
	of     map[string]string // token by board name
}

func newTokens(secret []byte) *tokens {
	t := &tokens{admin: token(secret, "admin"), boards: map[string]string{}, of: map[string]string{}}
	for i := 1; i <= maxBoards; i++ {
		name := strconv.Itoa(i)
		tok := token(secret, "board "+name)
		t.boards[tok] = name
		t.of[name] = tok
	}
	return t
}

// token is 20 bytes of HMAC-SHA256 of a page's name, in lower-case base32:
// 32 characters, easy to read aloud, 160 bits.
func token(secret []byte, name string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("triplicate audit boards v1\n" + name))
	return strings.ToLower(base32.StdEncoding.EncodeToString(m.Sum(nil)[:20]))
}

// board returns the board whose token this is.
func (t *tokens) board(tok string) (string, bool) {
	name, ok := t.boards[tok]
	return name, ok && hmac.Equal([]byte(t.of[name]), []byte(tok))
}

func (t *tokens) isAdmin(tok string) bool { return hmac.Equal([]byte(t.admin), []byte(tok)) }
