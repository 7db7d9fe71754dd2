/* gen_names.c — word lists for the synthetic catálogo. Entidad and alcaldía
 * names and sizes are real (public INE/INEGI figures, rounded); people and
 * municipios outside the Ciudad de México are invented by combining common
 * Spanish and Nahuatl-derived words, so no real person is ever named. */
#include "catalog/gen_names.h"

#include <stdio.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

const gen_entidad_info gen_entidades[32] = {
    {1, "AGUASCALIENTES", 3, 11},       {2, "BAJA CALIFORNIA", 9, 7},
    {3, "BAJA CALIFORNIA SUR", 2, 5},   {4, "CAMPECHE", 2, 13},
    {5, "COAHUILA", 8, 38},             {6, "COLIMA", 2, 10},
    {7, "CHIAPAS", 13, 124},            {8, "CHIHUAHUA", 9, 67},
    {9, "CIUDAD DE MÉXICO", 22, 16},    {10, "DURANGO", 4, 39},
    {11, "GUANAJUATO", 15, 46},         {12, "GUERRERO", 8, 85},
    {13, "HIDALGO", 7, 84},             {14, "JALISCO", 20, 125},
    {15, "MÉXICO", 40, 125},            {16, "MICHOACÁN", 11, 113},
    {17, "MORELOS", 5, 36},             {18, "NAYARIT", 3, 20},
    {19, "NUEVO LEÓN", 14, 51},         {20, "OAXACA", 10, 570},
    {21, "PUEBLA", 16, 217},            {22, "QUERÉTARO", 6, 18},
    {23, "QUINTANA ROO", 4, 11},        {24, "SAN LUIS POTOSÍ", 7, 58},
    {25, "SINALOA", 7, 20},             {26, "SONORA", 7, 72},
    {27, "TABASCO", 6, 17},             {28, "TAMAULIPAS", 8, 43},
    {29, "TLAXCALA", 3, 60},            {30, "VERACRUZ", 19, 212},
    {31, "YUCATÁN", 6, 106},            {32, "ZACATECAS", 4, 58},
};

/* In the order of their INEGI codes (002..017), numbered 1..16 here. */
const gen_alcaldia gen_alcaldias[16] = {
    {"AZCAPOTZALCO", 370, 0.0},          {"COYOACÁN", 560, 0.0},
    {"CUAJIMALPA DE MORELOS", 180, 0.15}, {"GUSTAVO A. MADERO", 1050, 0.02},
    {"IZTACALCO", 350, 0.0},              {"IZTAPALAPA", 1500, 0.02},
    {"LA MAGDALENA CONTRERAS", 220, 0.15}, {"MILPA ALTA", 120, 0.7},
    {"ÁLVARO OBREGÓN", 640, 0.05},        {"TLÁHUAC", 310, 0.15},
    {"TLALPAN", 580, 0.2},                {"XOCHIMILCO", 350, 0.25},
    {"BENITO JUÁREZ", 400, 0.0},          {"CUAUHTÉMOC", 480, 0.0},
    {"MIGUEL HIDALGO", 340, 0.0},         {"VENUSTIANO CARRANZA", 390, 0.0},
};

static const char *const given_f[] = {
    "MARÍA GUADALUPE", "ANA LAURA", "PATRICIA",  "VERÓNICA", "ALEJANDRA", "GABRIELA",
    "LETICIA",         "CLAUDIA",   "ADRIANA",   "ROSA MARÍA", "MARTHA",  "ELIZABETH",
    "SANDRA",          "LAURA",     "MÓNICA",    "NORMA",    "XÓCHITL",   "ITZEL",
    "FERNANDA",        "DANIELA",   "KARLA",     "MARIANA",  "BEATRIZ",   "SILVIA",
    "YOLANDA",         "TERESA",    "LORENA",    "ARACELI",  "ERIKA",     "CAROLINA",
    "JIMENA",          "VALERIA",   "ANDREA",    "PAOLA",    "LUCÍA",     "IRMA",
    "ROCÍO",           "DOLORES",   "ESTHER",    "CECILIA",  "NAYELI",    "ARIADNA",
};

static const char *const given_m[] = {
    "JOSÉ LUIS", "JUAN CARLOS", "MIGUEL ÁNGEL", "FRANCISCO", "JESÚS",   "ALEJANDRO",
    "ROBERTO",   "FERNANDO",    "RICARDO",      "JORGE",     "EDUARDO", "ARTURO",
    "SERGIO",    "RAÚL",        "MANUEL",       "ANTONIO",   "VÍCTOR HUGO", "HÉCTOR",
    "OMAR",      "JAVIER",      "ÓSCAR",        "RAFAEL",    "DAVID",   "EMILIANO",
    "SANTIAGO",  "DIEGO",       "MARIO",        "ENRIQUE",   "GERARDO", "ALFONSO",
    "GUILLERMO", "ERNESTO",     "RODRIGO",      "ARMANDO",   "ISMAEL",  "JULIO CÉSAR",
    "ÁNGEL",     "PABLO",       "TOMÁS",        "ADRIÁN",    "CUAUHTÉMOC", "ULISES",
};

static const char *const surnames[] = {
    "HERNÁNDEZ", "GARCÍA",   "MARTÍNEZ", "LÓPEZ",     "GONZÁLEZ",  "PÉREZ",     "RODRÍGUEZ",
    "SÁNCHEZ",   "RAMÍREZ",  "CRUZ",     "FLORES",    "GÓMEZ",     "MORALES",   "VÁZQUEZ",
    "REYES",     "JIMÉNEZ",  "TORRES",   "DÍAZ",      "GUTIÉRREZ", "RUIZ",      "MENDOZA",
    "AGUILAR",   "ORTIZ",    "MORENO",   "CASTILLO",  "ROMERO",    "ÁLVAREZ",   "MÉNDEZ",
    "CHÁVEZ",    "RIVERA",   "JUÁREZ",   "RAMOS",     "DOMÍNGUEZ", "HERRERA",   "MEDINA",
    "CASTRO",    "VARGAS",   "GUZMÁN",   "VELÁZQUEZ", "MUÑOZ",     "ROJAS",     "DE LA CRUZ",
    "CONTRERAS", "SALAZAR",  "LUNA",     "ORTEGA",    "SANTIAGO",  "GUERRERO",  "BAUTISTA",
    "CORTÉS",    "SOTO",     "ALVARADO", "ESPINOZA",  "LARA",      "ÁVILA",     "RÍOS",
    "CERVANTES", "SILVA",    "DELGADO",  "VEGA",      "MÁRQUEZ",   "SANDOVAL",  "FERNÁNDEZ",
    "LEÓN",      "CARRILLO", "MEJÍA",    "SOLÍS",     "NÚÑEZ",     "ROSAS",     "VALDEZ",
    "IBARRA",    "CAMPOS",   "SANTOS",   "CAMACHO",   "NAVARRO",   "PEÑA",      "MALDONADO",
    "ROSALES",   "ACOSTA",   "MIRANDA",  "TREJO",     "VALENCIA",  "NAVA",      "PACHECO",
    "HUERTA",    "ROBLES",   "OCHOA",    "ZAVALA",    "TAPIA",     "OLVERA",    "BECERRA",
    "ESCOBAR",   "ARELLANO", "QUINTERO", "TLATELPA",  "XOLALPA",   "TECUANHUEY", "CUAUTLE",
    "OCOTITLA",  "POPOCA",   "ITURBIDE", "ZAMORA",    "MONTIEL",   "ESPARZA",   "GALINDO",
};

static const char *const place_roots[] = {
    "ACATLÁN",      "AHUACATLÁN",   "AMATLÁN",     "ATLIXCO",     "AXOCHIAPAN",  "CHALCATZINGO",
    "CHIAUTLA",     "CHICONCUAUTLA", "COATEPEC",   "COYOTEPEC",   "CUAUTEPEC",   "CUETZALAN",
    "HUAUCHINANGO", "HUEHUETLÁN",   "HUEJUTLA",    "IXTLÁN",      "JALAPA",      "JOCOTEPEC",
    "METEPEC",      "MIXQUIAHUALA", "NOPALUCAN",   "OCOTLÁN",     "OCOYOACAC",   "OZUMBA",
    "PAPALOTLA",    "SOCHIAPA",     "TECALI",      "TECAMACHALCO", "TECOZAUTLA", "TEHUIXTLA",
    "TENANGO",      "TEOTLALCO",    "TEPEACA",     "TEPETITLA",   "TEQUIXQUIAC", "TETELA",
    "TEXCALTITLÁN", "TEZONTEPEC",   "TLACOTEPEC",  "TLALTENANGO", "TLANALAPAN",  "TLAPANALÁ",
    "TLATLAUQUI",   "TOCHIMILCO",   "TONANITLA",   "TOTOLAPAN",   "TULANCINGO",  "XALTOCAN",
    "XICOTEPEC",    "XOCHITLÁN",    "YAUHQUEMEHCAN", "ZACUALPAN", "ZAPOTITLÁN",  "ZIHUATEUTLA",
    "ZONGOLICA",    "ACAJETE",      "AMOZOC",      "APIZACO",     "CALPULALPAN", "CHIGNAHUAPAN",
    "COXCATLÁN",    "CUYOACO",      "HUEYTAMALCO", "IXCAQUIXTLA", "MAZAPILTEPEC", "MOLCAXAC",
    "NAUZONTLA",    "OLINTLA",      "PAHUATLÁN",   "QUIMIXTLÁN",  "SOLTEPEC",    "TEPANCO",
    "TLACHICHUCA",  "TLAOLA",       "TOTOLTEPEC",  "XAYACATLÁN",  "XIUTETELCO",  "YEHUALTEPEC",
    "ZAUTLA",       "ZINACATEPEC",  "LAGUNA SECA", "OJO CALIENTE", "VALLE HERMOSO", "LOMA BONITA",
    "PIEDRAS NEGRAS", "AGUA PRIETA", "CERRO AZUL", "PALO VERDE",  "LOS REYES",   "VILLA NUEVA",
};

static const char *const place_pre[] = {
    "SAN JUAN",      "SAN PEDRO",  "SAN MIGUEL",  "SANTA MARÍA", "SANTIAGO",  "SAN FRANCISCO",
    "SAN ANDRÉS",    "SANTO DOMINGO", "SAN MARTÍN", "SAN PABLO", "SANTA CRUZ", "SAN JOSÉ",
    "SAN LORENZO",   "SAN BARTOLOMÉ", "SANTA ANA", "SAN MATEO",  "SAN SEBASTIÁN", "SANTA CATARINA",
};

static const char *const place_post[] = {
    "DE JUÁREZ", "DE MORELOS", "DE HIDALGO", "DE ALLENDE",     "DE GUERRERO",   "DE ZARAGOZA",
    "DEL RÍO",   "EL ALTO",    "EL GRANDE",  "DE LAS FLORES",  "DE LA SIERRA",  "DE BRAVO",
    "DE MATAMOROS", "DEL PROGRESO", "DE LOS LIBRES", "DE GALEANA",
};

#define PICK(r, a) ((a)[gen_range((r), 0, N(a) - 1)])

void gen_person(gen_rng *r, int female, char *out, size_t cap)
{
    const char *g = female ? PICK(r, given_f) : PICK(r, given_m);
    const char *s1 = PICK(r, surnames);
    const char *s2 = PICK(r, surnames);
    snprintf(out, cap, "%s %s %s", g, s1, s2);
}

void gen_place(gen_rng *r, char *out, size_t cap)
{
    /* One draw per statement: argument evaluation order is unspecified. */
    const char *root = PICK(r, place_roots);
    const char *pre = gen_chance(r, 0.35) ? PICK(r, place_pre) : NULL;
    const char *post = gen_chance(r, 0.3) ? PICK(r, place_post) : NULL;
    snprintf(out, cap, "%s%s%s%s%s", pre ? pre : "", pre ? " " : "", root, post ? " " : "",
             post ? post : "");
}
