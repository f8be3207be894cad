package providers

import "sync"

// catalogue builds the services once: their checks compile regular
// expressions, which should happen a single time per process.
var catalogue = sync.OnceValue(func() []Provider {
	return []Provider{
		s3(), apple(), bitly(), box(), clickatell(), docusign(), dropbox(),
		easybib(), facebook(), firebase(), google(), googlecloud(), linkedin(),
		mailru(), mendeley(), microsoft(), onedrive(), rackspace(), selectel(),
		smsc(), telegram(), twilio(), twitter(), vk(), wordpress(), yahoo(),
		yandex(), zotero(),
	}
})

// All returns every service in catalogue order (alphabetical by id, as the
// portal lists them). The slice is new on each call; callers may reorder it.
func All() []Provider {
	return append([]Provider(nil), catalogue()...)
}
