/* memtop's bridge to ncursesw. SwiftPM drops pkg-config's -D flags, so the wide-character API
   must be switched on here; macros Swift cannot import get small inline accessors. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncurses.h>

static inline attr_t cn_A_BOLD(void) { return A_BOLD; }
static inline attr_t cn_A_DIM(void) { return A_DIM; }
static inline attr_t cn_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t cn_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline mmask_t cn_ALL_MOUSE_EVENTS(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t cn_BUTTON1_PRESSED(void) { return BUTTON1_PRESSED; }
static inline mmask_t cn_BUTTON1_CLICKED(void) { return BUTTON1_CLICKED; }
static inline mmask_t cn_BUTTON4_PRESSED(void) { return BUTTON4_PRESSED; }
static inline mmask_t cn_BUTTON5_PRESSED(void) { return BUTTON5_PRESSED; }
static inline int cn_colors(void) { return COLORS; }
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
