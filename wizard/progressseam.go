package wizard

import (
	"fmt"
	"os"
	"path/filepath"
)

// ConfigDir is Keywizard's folder in the user's config directory, where
// the progress file and the list of portals are kept.
func ConfigDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config folder: %w", err)
	}
	return filepath.Join(base, "keywizard"), nil
}
