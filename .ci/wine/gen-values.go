//go:build ignore

// Command gen-values prints a keys file for the Google Cloud Storage
// service: a service-account key with a freshly made 4096-bit RSA key, so
// the stored secret is longer than one Windows Credential Manager entry
// (2,560 bytes) holds. Usage: go run gen-values.go > values.json
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"log"
	"os"
)

func main() {
	key, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	id := sha1.Sum(der)
	sa, err := json.MarshalIndent(map[string]string{
		"type":           "service_account",
		"project_id":     "acme-portal-backup",
		"private_key_id": hex.EncodeToString(id[:]),
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   "portal-backup@acme-portal-backup.iam.gserviceaccount.com",
		"client_id":      "109876543210987654321",
		"token_uri":      "https://oauth2.googleapis.com/token",
	}, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]string{"json": string(sa), "bucket": "acme-portal-backups"}); err != nil {
		log.Fatal(err)
	}
}
