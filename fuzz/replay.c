/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput over every file of corpus folders (or
 * single files), so that the corpora run in the normal test suite with any compiler. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "fuzz.h"
#include "common/banned.h"

/* Fuzz inputs are small; anything bigger is not a corpus file. */
#define REPLAY_MAX (16u * 1024 * 1024)

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	iw_buf b = IW_BUF_INIT(REPLAY_MAX);
	char chunk[65536];
	size_t n;
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (iw_buf_add(&b, chunk, n)) {
			fprintf(stderr, "replay: %s is larger than %u bytes\n", path, REPLAY_MAX);
			fclose(f);
			iw_buf_free(&b);
			return -1;
		}
	}
	fclose(f);
	/* An exact-size copy, so that ASan sees a read past the input's end. */
	{
		unsigned char *exact = iw_malloc(b.len ? b.len : 1);
		if (b.len)
			memcpy(exact, b.data, b.len);
		LLVMFuzzerTestOneInput(exact, b.len);
		free(exact);
	}
	iw_buf_free(&b);
	return 0;
}

static int replay_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a folder, in name order so that runs are reproducible. */
static int replay_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "replay: cannot open folder %s\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = iw_realloc(names, (n + 1) * sizeof(*names));
		names[n++] = iw_asprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), replay_name_cmp);
	for (i = 0; i < n; i++) {
		struct stat sb;
		if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (replay_file(names[i]))
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			rc |= replay_dir(argv[i], &count);
		else if (replay_file(argv[i]) == 0)
			count++;
		else
			rc = 1;
	}
	printf("replay: %zu inputs run\n", count);
	/* An empty corpus would make this test pass without testing anything. */
	return rc || count == 0 ? 1 : 0;
}
