"""How the structures spread over the départements in the benchmark: like France, not uniformly.

The number of SIAE of a département grows with its population, less than linearly (a large département has
larger structures, not only more of them): weight = population ** 0.7. With these weights Nord gets about ten
times the structures of a small rural département, and 102 départements at the default mean of 45 give about
4,600 SIAE, the national count. Populations in thousands, rounded (INSEE, populations légales 2021): orders of
magnitude are all the benchmark needs."""

POPULATIONS = {
    "01": 657, "02": 528, "03": 335, "04": 166, "05": 141, "06": 1098, "07": 329, "08": 270, "09": 155,
    "10": 310, "11": 375, "12": 279, "13": 2053, "14": 696, "15": 144, "16": 351, "17": 657, "18": 298,
    "19": 240, "2A": 160, "2B": 182, "21": 535, "22": 601, "23": 115, "24": 413, "25": 545, "26": 519,
    "27": 600, "28": 431, "29": 917, "30": 752, "31": 1434, "32": 191, "33": 1651, "34": 1202, "35": 1095,
    "36": 217, "37": 611, "38": 1282, "39": 259, "40": 420, "41": 329, "42": 766, "43": 228, "44": 1450,
    "45": 684, "46": 174, "47": 331, "48": 76, "49": 821, "50": 492, "51": 566, "52": 170, "53": 307,
    "54": 732, "55": 181, "56": 763, "57": 1047, "58": 201, "59": 2611, "60": 829, "61": 276, "62": 1459,
    "63": 664, "64": 689, "65": 230, "66": 483, "67": 1152, "68": 767, "69": 1883, "70": 234, "71": 551,
    "72": 566, "73": 439, "74": 834, "75": 2134, "76": 1255, "77": 1428, "78": 1451, "79": 375, "80": 569,
    "81": 390, "82": 262, "83": 1082, "84": 562, "85": 689, "86": 439, "87": 372, "88": 362, "89": 334,
    "90": 141, "91": 1306, "92": 1625, "93": 1655, "94": 1409, "95": 1249, "971": 384, "972": 361,
    "973": 286, "974": 871, "975": 6, "976": 256,
}  # fmt: skip
EXPOSANT = 0.7
MINIMUM = 2  # even Saint-Pierre-et-Miquelon has a cockpit to look at


def structures_par_departement(codes: list[str], moyenne: int) -> dict[str, int]:
    """The number of SIAE of each département generated, `moyenne` per département on average."""
    poids = {code: POPULATIONS.get(code, 500) ** EXPOSANT for code in codes}
    total = sum(poids.values())
    return {code: max(MINIMUM, round(moyenne * len(codes) * p / total)) for code, p in poids.items()}
