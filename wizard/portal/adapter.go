package portal

import (
	"strings"

	"keywizard/providers"
	"keywizard/wizard"
)

// Keys is what the portal holds for one consumer, as the flow compares it.
func (s State) Keys() wizard.PortalKeys {
	return wizard.PortalKeys{Offered: s.Offered, CanSet: s.CanSet, Values: s.Values,
		Match: func(prop, want string) wizard.Match {
			switch CompareValue(s, prop, want) {
			case Equal:
				return wizard.Equal
			case Unsure:
				return wizard.Unsure
			}
			return wizard.Different
		}}
}

// Mark compares what a portal running product holds for p (states as
// ReadAll returns them) with the keys here, through wizard.Compare.
func Mark(p providers.Provider, product Product, states map[string]State, local map[string]string) wizard.Mark {
	if states == nil {
		return wizard.MarkUnknown
	}
	cons, err := Consumer(p, product)
	if err != nil {
		return wizard.MarkNotOffered
	}
	return wizard.Compare(p, cons.Props, states[strings.ToLower(cons.Name)].Keys(), local)
}
