/* config.c: the config file of fetch's notifications and watch list (`key = value` lines). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "notify/notify.h"
#include "common/banned.h"

#define NOTIFY_CONFIG_MAX (1u << 20)

char *notify_config_default_path(void)
{
	const char *env = getenv("IANAWATCH_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME"),
	           *home = getenv("HOME");
	if (env && *env)
		return iw_strdup(env);
	if (xdg && *xdg == '/')
		return iw_asprintf("%s/ianawatch/config", xdg);
	return iw_asprintf("%s/.config/ianawatch/config", home && *home ? home : ".");
}

void notify_config_clear(notify_config *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->nnotify; i++)
		free(c->notify[i]);
	free(c->notify);
	free(c->watch);
	free(c->min_severity);
	memset(c, 0, sizeof(*c));
}

static char *notify_trim(char *s, char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

/* One `key = value` line into c; IW_EINVAL with the reason (the caller adds PATH:LINE). */
static int notify_config_line(notify_config *c, const char *path, const char *key,
                              const char *value)
{
	notify_kind kind;
	watch_severity sev;
	char *end;
	long days;

	if (!*value)
		return iw_error_set(IW_EINVAL, "%s has no value", key);
	if (strcmp(key, "notify") == 0) {
		if (notify_target_check(value, &kind))
			return IW_EINVAL;
		c->notify = iw_realloc(c->notify, (c->nnotify + 1) * sizeof(*c->notify));
		c->notify[c->nnotify++] = iw_strdup(value);
	} else if (strcmp(key, "watch") == 0) {
		const char *slash = strrchr(path, '/');
		free(c->watch);
		c->watch = value[0] == '/' || !slash
			? iw_strdup(value)
			: iw_asprintf("%.*s/%s", (int)(slash - path), path, value);
	} else if (strcmp(key, "min-severity") == 0) {
		if (watch_severity_parse(value, &sev))
			return IW_EINVAL;
		free(c->min_severity);
		c->min_severity = iw_strdup(value);
	} else if (strcmp(key, "notify-max-age") == 0) {
		errno = 0;
		days = strtol(value, &end, 10);
		if (errno || *end || days < 1 || days > 365)
			return iw_error_set(IW_EINVAL, "notify-max-age: expected a number of days "
			                    "(1..365)");
		c->max_age_s = days * 86400;
	} else {
		return iw_error_set(IW_EINVAL, "unknown setting '%.40s' (expected notify, watch, "
		                    "min-severity or notify-max-age)", key);
	}
	return IW_OK;
}

int notify_config_read(const char *path, int required, notify_config *out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char *line, *next, *eq;
	unsigned lineno = 0;
	struct stat sb;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!required && stat(path, &sb) != 0 && errno == ENOENT)
		return IW_OK;
	if ((rc = iw_read_file(path, NOTIFY_CONFIG_MAX, &data, &len)))
		return iw_error_prefix(rc, "config file %s", path);
	for (line = (char *)data; line && line < (char *)data + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)((char *)data + len - line)), *key, *value;
		char *end = nl ? nl : (char *)data + len;
		next = nl ? nl + 1 : NULL;
		lineno++;
		*end = '\0';
		key = notify_trim(line, end);
		if (!*key || *key == '#')
			continue;
		if (!(eq = strchr(key, '='))) {
			rc = iw_error_set(IW_EINVAL, "%s:%u: expected `key = value`", path, lineno);
			break;
		}
		value = notify_trim(eq + 1, end);
		key = notify_trim(key, eq);
		if ((rc = notify_config_line(out, path, key, value))) {
			iw_error_prefix(rc, "%s:%u", path, lineno);
			break;
		}
	}
	free(data);
	if (rc)
		notify_config_clear(out);
	return rc;
}
