package providers

// Placeholders until each service's own file exists; delete a line when its file is written.

func bitly() Provider      { return Provider{ID: "bitly", Title: "bitly"} }
func clickatell() Provider { return Provider{ID: "clickatell", Title: "clickatell"} }
func easybib() Provider    { return Provider{ID: "easybib", Title: "easybib"} }
func firebase() Provider   { return Provider{ID: "firebase", Title: "firebase"} }
