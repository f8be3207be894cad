// Package assets holds the files embedded in the binary: the app icon.
package assets

import _ "embed"

// IconPNG is the 256x256 application icon.
//
//go:embed icon.png
var IconPNG []byte

// AppID is the application's reverse-DNS identifier, used by the window,
// the keyring entries and the preferences folder.
const AppID = "io.keywizard.app"
