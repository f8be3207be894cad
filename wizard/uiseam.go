package wizard

// Waiting is the step c waits at. At NeedCode it carries what the portal
// said of the code it asks for, also for the renewal Reopen hands back, so
// that a face can say where the code comes from (the app, or an SMS to
// which number) before the admin types it.
func (c *Connect) Waiting() Need {
	if c.step != NeedCode {
		return c.need(c.step, nil)
	}
	return c.need(NeedCode, c.asked)
}
