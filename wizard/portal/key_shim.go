package portal

// Key is the key of the entry's secrets.
func (e Entry) Key() string { return e.Host() }

// Key is the key of the portal's secrets.
func (c *Client) Key() string { return c.Host() }
