package secrets

import (
	"os"
	"strings"
	"testing"
)

// A passphrase file that never ends (a device, a FIFO fed forever) is
// refused, not read until memory runs out.
func TestPassphraseFileBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	env := func(k string) string {
		if k == EnvPassphraseFile {
			return "/dev/zero"
		}
		return ""
	}
	_, err := OptionsFromEnv(env, nil).Passphrase(false)
	if err == nil || !strings.Contains(err.Error(), "larger than 64 KiB") || !strings.Contains(err.Error(), EnvPassphraseFile) {
		t.Fatalf("got %v", err)
	}
}
