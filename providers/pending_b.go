package providers

// Placeholders until each service's own file exists; delete a line when its file is written.

func mendeley() Provider  { return Provider{ID: "mendeley", Title: "mendeley"} }
func wordpress() Provider { return Provider{ID: "wordpress", Title: "wordpress"} }
func yahoo() Provider     { return Provider{ID: "yahoo", Title: "yahoo"} }
func zotero() Provider    { return Provider{ID: "zotero", Title: "zotero"} }
