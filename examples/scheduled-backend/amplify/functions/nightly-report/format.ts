export const formatDay = (time: string): string => {
  return time.slice(0, 10;
};
