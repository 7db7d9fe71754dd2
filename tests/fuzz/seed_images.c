/* seed_images.c — writes the seed images of the image fuzzer: a QR carrying
 * a clave as 8-bit grayscale PNG (libpng) and JPEG (libjpeg), baseline and
 * progressive (about 10 scans, and 253: refused). Usage: seed_images DIR [CLAVE]. Built and run only by
 * make-seeds.sh; not part of prep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <qrencode.h>

enum { SCALE = 4, MARGIN = 4 };

static unsigned char *render(const char *text, int *side)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        exit(1);
    int n = (q->width + 2 * MARGIN) * SCALE;
    unsigned char *g = malloc((size_t)n * n);
    memset(g, 255, (size_t)n * n);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                for (int dy = 0; dy < SCALE; dy++)
                    memset(g + (size_t)((y + MARGIN) * SCALE + dy) * n + (x + MARGIN) * SCALE, 0,
                           SCALE);
    QRcode_free(q);
    *side = n;
    return g;
}

static void write_png(const char *path, const unsigned char *g, int n)
{
    FILE *f = fopen(path, "wb");
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop i = png_create_info_struct(p);
    png_init_io(p, f);
    png_set_IHDR(p, i, (unsigned)n, (unsigned)n, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(p, 9);
    png_write_info(p, i);
    for (int y = 0; y < n; y++)
        png_write_row(p, (png_const_bytep)(g + (size_t)y * n));
    png_write_end(p, i);
    png_destroy_write_struct(&p, &i);
    fclose(f);
}

/* A legal progressive script with one scan per coefficient and bit: 1 DC
 * scan + 63 AC coefficients x 4 bits = 253 scans (far more than any camera). */
static jpeg_scan_info many[1 + 63 * 4];

static void many_scans(struct jpeg_compress_struct *c)
{
    int k = 0;
    many[k++] = (jpeg_scan_info){1, {0}, 0, 0, 0, 0};
    for (int i = 1; i < 64; i++)
        for (int al = 3; al >= 0; al--)
            many[k++] = (jpeg_scan_info){1, {0}, i, i, al == 3 ? 0 : al + 1, al};
    c->scan_info = many;
    c->num_scans = k;
}

static void write_jpeg(const char *path, const unsigned char *g, int n, int progressive)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    FILE *f = fopen(path, "wb");
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)n;
    c.image_height = (JDIMENSION)n;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 60, TRUE);
    if (progressive == 1)
        jpeg_simple_progression(&c);
    else if (progressive == 2)
        many_scans(&c);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < n; y++) {
        JSAMPROW row = (JSAMPROW)(g + (size_t)y * n);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int n;
    char text[64];
    snprintf(text, sizeof text, "PREP|GUB|%s", argc > 2 ? argv[2] : "090123B0100");
    unsigned char *g = render(text, &n);
    char path[512];
    snprintf(path, sizeof path, "%s/qr.png", argv[1]);
    write_png(path, g, n);
    snprintf(path, sizeof path, "%s/qr.jpg", argv[1]);
    write_jpeg(path, g, n, 0);
    snprintf(path, sizeof path, "%s/qr-progressive.jpg", argv[1]);
    write_jpeg(path, g, n, 1);
    snprintf(path, sizeof path, "%s/qr-253-scans.jpg", argv[1]);
    write_jpeg(path, g, n, 2);
    free(g);
    return 0;
}
