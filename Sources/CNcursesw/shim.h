// Wide-character ncurses for Swift. The macros Swift cannot import are wrapped in
// static inline functions here (added with the chat screen, issue 7).
#ifndef OCTET_CNCURSESW_SHIM_H
#define OCTET_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/ncurses.h>
#endif
