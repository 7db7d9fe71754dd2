/* gen_names.h — the words the catálogo generator draws from: the 32
 * entidades with their numbers of federal distritos and municipios, the 16
 * alcaldías of the Ciudad de México, invented Spanish names of people and of
 * municipios. Internal to src/catalog/; real names of candidates never. */
#ifndef PREP_GEN_NAMES_H
#define PREP_GEN_NAMES_H

#include <stddef.h>

#include "catalog/gen_rng.h"

typedef struct {
    int id;
    const char *nombre;
    int distritos;   /* federal distritos (2024) */
    int municipios;  /* municipios / alcaldías */
} gen_entidad_info;

extern const gen_entidad_info gen_entidades[32];

typedef struct {
    const char *nombre;
    int ln_miles;     /* approximate lista nominal, thousands (relative size) */
    double no_urbana; /* share of its secciones that are not urban */
} gen_alcaldia;

extern const gen_alcaldia gen_alcaldias[16];

/* "MARÍA GUADALUPE HERNÁNDEZ OCOTITLA": given name(s) + two surnames. */
void gen_person(gen_rng *r, int female, char *out, size_t cap);

/* An invented municipio name: "SAN PEDRO TEPEACA DE JUÁREZ". */
void gen_place(gen_rng *r, char *out, size_t cap);

#endif
