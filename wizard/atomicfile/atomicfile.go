// Package atomicfile writes files so that a reader, or the file after a
// crash or power loss, sees either the old content or the new one.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// tempSuffix marks the temporary files Write renames into place.
const tempSuffix = ".tmp"

// Write replaces path with data so that a reader, or the file after a
// crash or power loss, holds either the old content or the new one, never a
// mix: the data goes to a temporary file in the same directory, is flushed
// to disk, then renamed over path. The directory is created (0700) when
// missing.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename itself durable. Windows cannot open a directory
// for syncing; its rename is durable enough once the file was flushed.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// RemoveStale deletes temporary files that a killed writer of path left
// behind. Only old ones go, so that a writer in another process that
// is between CreateTemp and Rename keeps its file.
func RemoveStale(path string, olderThan time.Duration) {
	pattern := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"-*"+tempSuffix)
	matches, _ := filepath.Glob(pattern)
	for _, m := range matches {
		if !strings.HasSuffix(m, tempSuffix) {
			continue
		}
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > olderThan {
			os.Remove(m)
		}
	}
}
