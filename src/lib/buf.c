/*
 * buf.c -- growable buffers, decimal numbers, the string pool (buf.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"

#define CHUNK_SIZE	(64 * 1024 - sizeof(struct strchunk))
#define CHUNK_BIG	(CHUNK_SIZE / 16)

struct strchunk {
	struct strchunk	*next;
	size_t		 used;
	size_t		 size;
	char		 s[];
};

void
buf_grow(struct buf *b, size_t more)
{
	size_t cap;

	if (more < b->cap - b->len && b->data != NULL)
		return;
	if (more > SIZE_MAX / 2 - b->len)
		nomem();
	cap = b->cap ? b->cap : 64;
	while (cap - b->len <= more)
		cap *= 2;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
}

void
buf_reserve(struct buf *b, size_t more)
{
	if (b->data != NULL && more < b->cap - b->len)
		return;
	if (more > SIZE_MAX - 1 - b->len)
		nomem();
	b->data = xreallocarray(b->data, b->len + more + 1, 1);
	b->cap = b->len + more + 1;
	b->data[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_pad(struct buf *b, int c, size_t n)
{
	buf_grow(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		nomem();
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_addu64(struct buf *b, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do {
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	buf_add(b, d + sizeof(d) - n, n);
}

void
buf_spill(struct buf *b, FILE *f, size_t min)
{
	if (b->len == 0 || b->len < min)
		return;
	fwrite(b->data, 1, b->len, f);
	b->len = 0;
	b->data[0] = '\0';
}

char *
strpool_add(struct strpool *p, const char *s, size_t len)
{
	struct strchunk *c = p->head;
	char *t;

	if (c == NULL || c->size - c->used <= len) {
		size_t size = len >= CHUNK_BIG ? len + 1 : CHUNK_SIZE;

		/* s is in memory already: len + 1 + a header cannot wrap. */
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (len >= CHUNK_BIG && p->head != NULL) {
			/* The open chunk stays first, for the strings
			 * to come. */
			c->next = p->head->next;
			p->head->next = c;
		} else {
			c->next = p->head;
			p->head = c;
		}
	}
	t = c->s + c->used;
	memcpy(t, s, len);
	t[len] = '\0';
	c->used += len + 1;
	return t;
}

void
strpool_free(struct strpool *p)
{
	struct strchunk *c, *next;

	for (c = p->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	p->head = NULL;
}
