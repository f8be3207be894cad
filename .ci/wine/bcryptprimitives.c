/* Debian 12's Wine (8.0) has no bcryptprimitives.dll, which Windows has had
   since Windows 8 and Go programs load at start for ProcessPrng. The smoke
   test builds this stand-in with mingw-w64 into its own Wine prefix only;
   it is never part of a package. */
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
