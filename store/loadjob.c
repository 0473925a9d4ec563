/* loadjob.c: loading a snapshot's document in a thread, beside other work on the main one. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

struct store_load_job {
	pthread_t thread;
	char *db_path;
	int64_t id;
	registry_doc *doc;
	int rc;
	char *error;          /* the thread's message (messages are thread-local) */
};

static void *load_job_run(void *arg)
{
	store_load_job *j = arg;
	store *s = NULL;
	int rc;

	/* A read-only store reads in one transaction: the queries of the load see one state of
	 * the database, whatever the main thread commits meanwhile. */
	if ((rc = store_open(&s, j->db_path, STORE_READONLY)))
		goto out;
	rc = store_load_doc(s, j->id, &j->doc);
out:
	if (rc)
		j->error = iw_strdup(iw_error_last());
	j->rc = rc;
	store_free(s);
	return NULL;
}

int store_load_job_start(const char *db_path, int64_t snapshot_id, store_load_job **out)
{
	store_load_job *j = iw_calloc(1, sizeof(*j));

	*out = NULL;
	j->db_path = iw_strdup(db_path);
	j->id = snapshot_id;
	if (pthread_create(&j->thread, NULL, load_job_run, j) != 0) {
		free(j->db_path);
		free(j);
		return iw_error_set(IW_ERROR, "cannot start a thread to load snapshot %lld",
		                    (long long)snapshot_id);
	}
	*out = j;
	return IW_OK;
}

int store_load_job_finish(store_load_job *job, registry_doc **out)
{
	int rc;

	*out = NULL;
	if (!job)
		return iw_error_set(IW_EINVAL, "no load job");
	pthread_join(job->thread, NULL);
	rc = job->rc;
	if (rc)
		iw_error_set(rc, "%s", job->error ? job->error : "loading a snapshot failed");
	else
		*out = job->doc;
	free(job->error);
	free(job->db_path);
	free(job);
	return rc;
}
