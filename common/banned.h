/*
 * banned.h: functions that invite buffer overflows; use iw_buf or snprintf instead (after git).
 * Every .c file includes it LAST, after the system headers and the project's, and no header
 * includes it: with -D_FORTIFY_SOURCE (every distribution's flags) glibc's headers define
 * inline wrappers of these very functions, which the macros below would break.
 */
#ifndef IANAWATCH_BANNED_H
#define IANAWATCH_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef asctime
#define asctime(x) BANNED(asctime)
#undef ctime
#define ctime(x) BANNED(ctime)

#endif
