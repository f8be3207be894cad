package wizard

import "keywizard/providers"

// Match is how one value on the portal compares with the one here.
type Match int

// Match outcomes.
const (
	Equal     Match = iota
	Different       // certainly different
	Unsure          // read approximately and did not match: maybe different
)

// PortalKeys is what a portal holds for one service.
type PortalKeys struct {
	Offered bool              // the portal lists the service
	CanSet  bool              // false: keys fixed in the server's configuration
	Values  map[string]string // prop (field id) to value, "" when empty
	// Match compares the portal's value of a prop with want; nil compares
	// exactly. The portal engine sets it for values it read approximately.
	Match func(prop, want string) Match
}

// IsSet reports whether any prop holds a value (the portal's switch is on).
func (k PortalKeys) IsSet() bool {
	for _, v := range k.Values {
		if v != "" {
			return true
		}
	}
	return false
}

func (k PortalKeys) match(prop, want string) Match {
	if k.Match != nil {
		return k.Match(prop, want)
	}
	if k.Values[prop] == want {
		return Equal
	}
	return Different
}

// Mark is where a service stands on a portal, compared with the keys here.
type Mark int

// Marks.
const (
	MarkUnknown    Mark = iota // not connected, or not read yet
	MarkNotOffered             // the portal's product or version does not have the service
	MarkFixed                  // keys fixed in the server's configuration
	MarkNotSet                 // the portal has no keys for it
	MarkSame                   // the portal holds the keys here
	MarkDiffers                // the portal holds other keys
	MarkUnsure                 // set, but could only be compared approximately
	MarkPartly                 // set, but a required value is empty on the portal
	MarkSet                    // set; nothing here to compare with
)

// String is the mark in the words of 'keywizard status' (its portal_state).
func (m Mark) String() string {
	switch m {
	case MarkNotOffered:
		return "not offered"
	case MarkFixed:
		return "fixed by the server"
	case MarkNotSet:
		return "not set"
	case MarkDiffers:
		return "differs"
	case MarkUnsure:
		return "set (could not be compared exactly)"
	case MarkPartly:
		return "partly set"
	case MarkSame, MarkSet:
		return "set"
	}
	return "unknown"
}

// Compare is the one comparison of a portal's keys with the keys here,
// used by 'keywizard status', the window's marks and Review and push.
// props are the consumer's props for the portal's product; local the keys
// here. A value left empty here is not compared: a push sends only what
// the admin gave, so it would not change the portal's value.
func Compare(p providers.Provider, props []string, keys PortalKeys, local map[string]string) Mark {
	switch {
	case !keys.Offered:
		return MarkNotOffered
	case !keys.CanSet:
		return MarkFixed
	case !keys.IsSet():
		return MarkNotSet
	}
	partly, differs, unsure, compared := false, false, false, false
	for _, name := range props {
		f, known := p.Field(name)
		if known && f.Local {
			continue
		}
		if keys.Values[name] == "" && !(known && f.Optional) {
			partly = true
		}
		want := local[name]
		if want == "" {
			continue
		}
		compared = true
		switch keys.match(name, want) {
		case Different:
			differs = true
		case Unsure:
			unsure = true
		}
	}
	switch {
	case differs:
		return MarkDiffers
	case unsure:
		return MarkUnsure
	case partly:
		return MarkPartly
	case !compared:
		return MarkSet
	}
	return MarkSame
}
