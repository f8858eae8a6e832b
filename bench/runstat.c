/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Times a command for the benches, finer than GNU time's 10 ms: runs it
 * N times (its output to /dev/null) and prints one line
 *   BEST_WALL_US BEST_CPU_US MEDIAN_WALL_US MEDIAN_CPU_US MAX_RSS_KB
 * wall clock from CLOCK_MONOTONIC around fork and wait4, CPU time (user +
 * system) from wait4's rusage in microseconds, both the best and the
 * median of the N runs (the best CPU and the best wall may come from
 * different runs), and the largest peak RSS (ru_maxrss) of the N.
 * Usage: runstat N CMD [ARG...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long
us_of(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

int
main(int argc, char **argv)
{
	long long *wall, *cpu, maxrss = 0;
	char *end;
	long n;

	if (argc < 3 || (n = strtol(argv[1], &end, 10)) < 1 || n > 1000 ||
	    *end != '\0') {
		fprintf(stderr, "usage: runstat N CMD [ARG...] (1 <= N <= 1000)\n");
		return 2;
	}
	if ((wall = calloc((size_t)n, sizeof(*wall))) == NULL ||
	    (cpu = calloc((size_t)n, sizeof(*cpu))) == NULL) {
		perror("runstat");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		struct timespec t0, t1;
		struct rusage ru;
		int st;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((pid = fork()) < 0) {
			perror("runstat: fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				if (fd > 2)
					close(fd);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) != pid) {
			perror("runstat: wait4");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
			fprintf(stderr, "runstat: cannot run %s\n", argv[2]);
			return 1;
		}
		wall[i] = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000;
		cpu[i] = us_of(&ru.ru_utime) + us_of(&ru.ru_stime);
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(wall, (size_t)n, sizeof(*wall), cmp_ll);
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp_ll);
	printf("%lld %lld %lld %lld %lld\n", wall[0], cpu[0], wall[n / 2],
	    cpu[n / 2], maxrss);
	free(wall);
	free(cpu);
	return 0;
}
