// Wide-character ncurses for Swift (STYLE.md H11). ncurses' macros (getmaxyx, COLOR_PAIR,
// A_* attributes, KEY_* codes, mouse buttons) and its globals (stdscr, COLORS) cannot be
// imported by Swift, so they are wrapped here in static inline functions; NcursesBackend
// is the only Swift file that uses them.
#ifndef OCTET_CNCURSESW_SHIM_H
#define OCTET_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// MARK: - Setting up

/// Selects the user's locale, and a UTF-8 one if theirs is not (ncurses needs it to read and
/// write wide characters). Returns 1 when the character set is UTF-8.
static inline int octet_use_utf8_locale(void) {
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") != NULL) return 1;
    return setlocale(LC_CTYPE, "en_US.UTF-8") != NULL;
}

/// newterm on the process's standard output and input; NULL when the terminal type is
/// unknown (unlike initscr, which exits the process).
static inline SCREEN *octet_newterm(const char *term) {
    return newterm(term, stdout, stdin);
}

static inline WINDOW *octet_stdscr(void) { return stdscr; }
static inline int octet_ok(void) { return OK; }
static inline int octet_err(void) { return ERR; }

static inline void octet_size(int *rows, int *columns) {
    int y = 0, x = 0;
    getmaxyx(stdscr, y, x);
    *rows = y;
    *columns = x;
}

// MARK: - Colours and attributes

static inline int octet_colors(void) { return COLORS; }
static inline int octet_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t octet_a_normal(void) { return A_NORMAL; }
static inline attr_t octet_a_bold(void) { return A_BOLD; }
static inline attr_t octet_a_dim(void) { return A_DIM; }
static inline attr_t octet_a_italic(void) { return A_ITALIC; }
static inline attr_t octet_a_underline(void) { return A_UNDERLINE; }
static inline attr_t octet_a_reverse(void) { return A_REVERSE; }

/// Writes one cell: `text` is a base character and up to four combining characters,
/// NUL-terminated; `pair` may exceed 255 (the extended-pair form of setcchar).
static inline int octet_put_cell(int row, int column, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, row, column, &cell);
}

/// glibc's wcwidth (declared only under _XOPEN_SOURCE, which Swift's importer does not
/// set): the columns ncurses itself gives a wide character.
extern int wcwidth(wchar_t c);
static inline int octet_wcwidth(wchar_t c) { return wcwidth(c); }

// MARK: - Keys

/// The key codes get_wch reports with KEY_CODE_YES.
typedef struct {
    int up, down, left, right, home, end, page_up, page_down, delete_char, insert_char;
    int backspace, enter, back_tab, resize, mouse, f1, f12, shift_left, shift_right;
} octet_key_codes;

static inline octet_key_codes octet_keys(void) {
    octet_key_codes k = {
        KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_PPAGE, KEY_NPAGE,
        KEY_DC, KEY_IC, KEY_BACKSPACE, KEY_ENTER, KEY_BTAB, KEY_RESIZE, KEY_MOUSE,
        KEY_F(1), KEY_F(12), KEY_SLEFT, KEY_SRIGHT,
    };
    return k;
}

/// The first code free for keys of our own (define_key: Ctrl-arrows, bracketed paste).
static inline int octet_key_max(void) { return KEY_MAX; }

/// get_wch: 0 = nothing (timeout), 1 = a character in *value, 2 = a key code in *value.
static inline int octet_get_wch(int *value) {
    wint_t ch = 0;
    int result = wget_wch(stdscr, &ch);
    *value = (int)ch;
    if (result == ERR) return 0;
    return result == KEY_CODE_YES ? 2 : 1;
}

// MARK: - Mouse

/// Reports the wheel only (buttons 4 and 5), so clicks still reach the terminal where it
/// allows it.
static inline void octet_mouse_wheel_on(void) {
    mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}

/// After KEY_MOUSE: -1 wheel up, 1 wheel down, 0 anything else.
static inline int octet_mouse_wheel(void) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (event.bstate & BUTTON4_PRESSED) return -1;
    if (event.bstate & BUTTON5_PRESSED) return 1;
    return 0;
}

#endif
