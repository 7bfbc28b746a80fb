/*
 * The former district (quận/huyện/thị xã/thành phố before 1 July 2025) of each of Ho Chi Minh City's 168
 * commune-level units, for grouping the tile grid the way officials still picture the city.
 *
 * Generated from data/hcmc-units-legacy-map.csv (see data/SOURCES.md): a unit formed from wards of
 * several districts is placed in the district that gave it the most wards, a whole ward counting
 * twice a partial one; ties go to the district listed first. The units API does not carry the
 * former district in its list (only per unit, in `legacy`), so the web app holds this copy.
 * Regenerate it when the CSV changes. No public boundary GeoJSON of the 168 units with a clear
 * licence was found, hence a tile grid rather than a map.
 */

/** [former district, former province], in the order the grid shows them: the old HCMC first. */
export const FORMER_DISTRICTS: readonly (readonly [string, string])[] = [
  ["Huyện Bình Chánh", "Thành phố Hồ Chí Minh"],
  ["Huyện Cần Giờ", "Thành phố Hồ Chí Minh"],
  ["Huyện Củ Chi", "Thành phố Hồ Chí Minh"],
  ["Huyện Hóc Môn", "Thành phố Hồ Chí Minh"],
  ["Huyện Nhà Bè", "Thành phố Hồ Chí Minh"],
  ["Quận 1", "Thành phố Hồ Chí Minh"],
  ["Quận 10", "Thành phố Hồ Chí Minh"],
  ["Quận 11", "Thành phố Hồ Chí Minh"],
  ["Quận 12", "Thành phố Hồ Chí Minh"],
  ["Quận 3", "Thành phố Hồ Chí Minh"],
  ["Quận 4", "Thành phố Hồ Chí Minh"],
  ["Quận 5", "Thành phố Hồ Chí Minh"],
  ["Quận 6", "Thành phố Hồ Chí Minh"],
  ["Quận 7", "Thành phố Hồ Chí Minh"],
  ["Quận 8", "Thành phố Hồ Chí Minh"],
  ["Quận Bình Thạnh", "Thành phố Hồ Chí Minh"],
  ["Quận Bình Tân", "Thành phố Hồ Chí Minh"],
  ["Quận Gò Vấp", "Thành phố Hồ Chí Minh"],
  ["Quận Phú Nhuận", "Thành phố Hồ Chí Minh"],
  ["Quận Tân Bình", "Thành phố Hồ Chí Minh"],
  ["Quận Tân Phú", "Thành phố Hồ Chí Minh"],
  ["Thành phố Thủ Đức", "Thành phố Hồ Chí Minh"],
  ["Huyện Bàu Bàng", "Tỉnh Bình Dương"],
  ["Huyện Bắc Tân Uyên", "Tỉnh Bình Dương"],
  ["Huyện Dầu Tiếng", "Tỉnh Bình Dương"],
  ["Huyện Phú Giáo", "Tỉnh Bình Dương"],
  ["Thành phố Bến Cát", "Tỉnh Bình Dương"],
  ["Thành phố Dĩ An", "Tỉnh Bình Dương"],
  ["Thành phố Thuận An", "Tỉnh Bình Dương"],
  ["Thành phố Thủ Dầu Một", "Tỉnh Bình Dương"],
  ["Thành phố Tân Uyên", "Tỉnh Bình Dương"],
  ["Huyện Châu Đức", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Huyện Côn Đảo", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Huyện Long Đất", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Huyện Xuyên Mộc", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Thành phố Bà Rịa", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Thành phố Phú Mỹ", "Tỉnh Bà Rịa - Vũng Tàu"],
  ["Thành phố Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu"],
];

/** New unit code → index in FORMER_DISTRICTS. */
export const FORMER_DISTRICT_OF: Readonly<Record<string, number>> = {
  '25747': 29, '25750': 29, '25760': 29, '25768': 29, '25771': 29, '25777': 24, '25780': 24, '25792': 24, '25807': 24, '25813': 22,
  '25819': 22, '25822': 22, '25837': 22, '25840': 26, '25843': 24, '25846': 26, '25849': 26, '25858': 25, '25864': 25, '25867': 25,
  '25882': 25, '25888': 30, '25891': 30, '25906': 23, '25909': 23, '25912': 30, '25915': 30, '25920': 30, '25942': 27, '25945': 27,
  '25951': 27, '25966': 28, '25969': 28, '25975': 28, '25978': 28, '25987': 28, '26506': 37, '26526': 37, '26536': 37, '26542': 37,
  '26545': 37, '26560': 35, '26566': 35, '26572': 35, '26575': 31, '26584': 31, '26590': 31, '26596': 31, '26608': 31, '26617': 31,
  '26620': 34, '26632': 34, '26638': 34, '26641': 34, '26647': 34, '26656': 34, '26659': 33, '26662': 33, '26680': 33, '26686': 33,
  '26704': 36, '26710': 36, '26713': 36, '26725': 36, '26728': 36, '26732': 32, '26737': 5, '26740': 5, '26743': 5, '26758': 5,
  '26767': 8, '26773': 8, '26782': 8, '26785': 8, '26791': 8, '26800': 21, '26803': 21, '26809': 21, '26824': 21, '26833': 21,
  '26842': 21, '26848': 21, '26857': 21, '26860': 21, '26876': 17, '26878': 17, '26882': 17, '26884': 17, '26890': 17, '26898': 17,
  '26905': 15, '26911': 15, '26929': 15, '26944': 15, '26956': 15, '26968': 19, '26977': 19, '26983': 19, '26995': 19, '27004': 19,
  '27007': 19, '27013': 20, '27019': 20, '27022': 20, '27028': 20, '27031': 20, '27043': 18, '27058': 18, '27073': 18, '27094': 21,
  '27097': 21, '27112': 21, '27139': 9, '27142': 9, '27154': 9, '27163': 6, '27169': 6, '27190': 6, '27211': 7, '27226': 7,
  '27232': 7, '27238': 7, '27259': 10, '27265': 10, '27286': 10, '27301': 11, '27316': 11, '27343': 11, '27349': 12, '27364': 12,
  '27367': 12, '27373': 12, '27418': 14, '27424': 14, '27427': 14, '27439': 16, '27442': 16, '27448': 16, '27457': 16, '27460': 16,
  '27475': 13, '27478': 13, '27484': 13, '27487': 13, '27496': 2, '27508': 2, '27511': 2, '27526': 2, '27541': 2, '27544': 2,
  '27553': 2, '27559': 3, '27568': 3, '27577': 3, '27592': 3, '27595': 0, '27601': 0, '27604': 0, '27610': 0, '27619': 0,
  '27628': 0, '27637': 0, '27655': 4, '27658': 4, '27664': 1, '27667': 1, '27673': 1, '27676': 1,
};
