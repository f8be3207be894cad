package state

import (
	"os"

	"keywizard/wizard/atomicfile"
)

// WriteFile replaces path with data atomically: after a crash the file
// holds either the old content or the new one (see atomicfile.Write).
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return atomicfile.Write(path, data, perm)
}
