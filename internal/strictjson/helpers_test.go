package strictjson_test

import (
	"encoding/json"
	"strconv"
)

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
