package providers

import (
	"errors"
	"regexp"
	"strings"
)

func telegram() Provider {
	return Provider{
		ID:       "telegram",
		Title:    "Telegram",
		Category: Notifications,
		Purpose:  "Delivers portal notifications to people through a Telegram bot once they link their Telegram account on their profile page.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "telegram", Props: []string{"telegramBotToken", "telegramBotName"}},
			Workspace: &Consumer{Name: "Telegram", Props: []string{"telegramBotToken", "telegramBotName"}, Since: "11.0"},
		},
		Fields: []Field{
			{
				ID: "telegramBotToken", Label: "Bot token", Secret: true,
				Help:    "The token BotFather sends after /newbot: the bot's number, a colon, then about 35 characters.",
				Example: "7123456789:AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF",
				Check:   telegramTokenCheck(),
			},
			{
				ID: "telegramBotName", Label: "Bot username",
				Help:    `The username you gave the bot in BotFather, without the @; it ends in "bot".`,
				Example: "acme_portal_bot",
				Check:   telegramBotNameCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Start a chat with BotFather",
				URL:   "https://t.me/BotFather",
				Lines: []string{
					"Open BotFather, Telegram's own bot for making bots, in the Telegram app (desktop or phone).",
					"Send the command below to create a new bot.",
				},
				Copy: []CopyValue{{Label: "Command", Value: "/newbot"}},
			},
			{
				Title: "Name the bot",
				URL:   "https://t.me/BotFather",
				Lines: []string{
					"Answer with the display name people will see in their chat list, for example your company's name.",
					`Then answer with a username: 5 to 32 Latin letters, digits or underscores, ending in "bot" (for example acme_portal_bot).`,
					"Copy the username into Keywizard, without the @.",
				},
			},
			{
				Title: "Copy the token",
				URL:   "https://t.me/BotFather",
				Lines: []string{
					"BotFather answers with the bot's token: copy all of it into Keywizard.",
					"Keep the token secret: whoever has it controls the bot. If it leaks, send /revoke to BotFather and enter the new token on the portal.",
				},
				Warning: `The portal asks Telegram about the token when you save it; if Telegram does not confirm it, the portal clears both Telegram keys and answers "Bad keys".`,
			},
		},
		Online: `Calls the Bot API's getMe method with the token: an answer proves the token is live and names the bot, which Keywizard compares with the username and with the number before the colon; 401 means the token is wrong or was revoked. It sends no message, and the token sits in the request path, so that address is never written to a log.`,
		Notes: []string{
			"After the keys are saved, each person links their Telegram account on their profile page to start receiving notifications.",
			"DocSpace's list of services dropped Telegram for a while and added it back in July 2025, so some older DocSpace builds do not offer it.",
		},
	}
}

func telegramTokenCheck() func(string) error {
	token := Match(`^[0-9]{5,16}:[A-Za-z0-9_-]{30,40}$`,
		"a bot token is the bot's number, a colon and about 35 letters, digits, - or _: copy the whole token from BotFather's message")
	current := regexp.MustCompile(`:AA[A-Za-z0-9_-]{33}$`)
	prefixed := regexp.MustCompile(`^bot[0-9]{5,16}:`)
	return func(v string) error {
		switch {
		case strings.Contains(v, "api.telegram.org") || strings.Contains(v, "/"):
			return errors.New("paste only the token, not a Bot API address")
		case prefixed.MatchString(v):
			return errors.New(`leave out the word "bot" in front: the token starts with the bot's number`)
		case !strings.Contains(v, ":") && strings.HasSuffix(strings.ToLower(v), "bot"):
			return errors.New("this looks like the bot's username: paste it in the username field and copy the token BotFather sent")
		}
		if err := token(v); err != nil {
			return err
		}
		if !current.MatchString(v) {
			return Warnf(`tokens that BotFather issues today have 35 characters after the colon, starting with "AA": check that you copied all of it`)
		}
		return nil
	}
}

func telegramBotNameCheck() func(string) error {
	name := Expect(`^[A-Za-z0-9_]{2,29}(?i:bot)$`,
		`Telegram bot usernames are 5 to 32 Latin letters, digits or underscores and end in "bot": copy the username BotFather confirmed`)
	token := regexp.MustCompile(`^[0-9]{5,16}:`)
	return func(v string) error {
		switch {
		case strings.HasPrefix(v, "@"):
			return errors.New("leave out the @ in front of the username")
		case strings.Contains(v, "t.me/") || strings.Contains(v, "telegram.me/"):
			return errors.New("paste only the username, not the link to the bot")
		case token.MatchString(v):
			return errors.New("this is the bot token: paste it in the token field and enter the bot's username here")
		}
		return Chain(NoSpaces, name)(v)
	}
}
